#!/usr/bin/env python3
# Writes tests/fixtures/broken/*.ron (checked by tests/broken_files.rs) from
# tests/fixtures/valid/small.ron. Each case is a description, edits (line in small.ron, old
# text, new text) and the errors meant: (code, line in small.ron, key words). A fixture is
# written only when `leap check` reports exactly those errors, each on its intended line with
# its key words; the column is then taken from the checker. Anything else is printed as BAD
# and the script exits 1. Run it after `cargo build --no-default-features`; LEAP=path overrides
# the program.
import json, subprocess, sys
import os
ROOT=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
base = open(f'{ROOT}/tests/fixtures/valid/small.ron').read().split('\n')[1:]
LEAP=os.environ.get('LEAP', f'{ROOT}/target/debug/leap')
cases = []
def case(name, desc, edits, errors, warnings=(), whole=None):
    cases.append((name, desc, edits, errors, warnings, whole))

case('three-at-once', 'a misspelled field, an unknown speaker and a dangling next, all in one run',
     [(25,'feedback','feedbak'),(16,'"sam"','"kwam"'),(27,'"second"','"marcus-pich"')],
     [('unknown-field',25,'feedbak feedback'),('unknown-cast',16,'kwam sam'),('dangling-reference',27,'marcus-pich')])
case('field-typo-and-dangling', 'a misspelled field does not hide a dangling reference',
     [(18,'discuss','discus'),(36,'"second"','"secnd"')],
     [('unknown-field',18,'discus discuss'),('dangling-reference',36,'secnd second')])
case('variant-typo-and-lesson', 'an unknown verdict does not hide an unknown lesson',
     [(80,'Mixed','Mixd'),(24,'"L01"','"L33"')],
     [('unknown-variant',80,'Mixd Mixed'),('unknown-lesson',24,'L33')])
case('meter-typo-and-dangling', 'an unknown meter does not hide a dangling ending',
     [(82,'MeterAtMost(trust','MeterAtMost(trsut'),(63,'"strong"','"strnog"')],
     [('unknown-meter',82,'trsut trust'),('dangling-reference',63,'strnog strong')])
case('missing-lesson-and-dangling', 'a choice without its lesson, and a dangling next elsewhere',
     [(24,None,''),(36,'"second"','"secnd"')],
     [('missing-field',20,'lesson'),('dangling-reference',36,'secnd')])
case('missing-next', 'a choice without `next`: reported once, no guesses about reachability',
     [(27,None,'')], [('missing-field',20,'next')])
case('missing-beat-id', 'a beat without its id: no invented dangling references to it',
     [(15,None,'')], [('missing-field',14,'id')])
case('text-as-number', 'a number where a text belongs', [(22,'"Blame Sam."','5')], [('wrong-type',22,'double quotes')])
case('quoted-effect', 'a number written as text', [(23,'trust: -5','trust: "5"')], [('wrong-type',23,'remove the quotes')])
case('quoted-start-meter', 'a start meter written as text', [(8,'trust: 50','trust: "50"')], [('wrong-type',8,'remove the quotes')])
case('quoted-verdict', 'a verdict written as text', [(79,'verdict: Strong','verdict: "Strong"')], [('wrong-type',79,'remove the quotes')])
case('bare-word-speaker', 'a speaker id without quotes', [(16,'"sam"','sam')], [('wrong-type',16,'double quotes')])
case('bare-word-unknown-speaker', 'a speaker without quotes and unknown: both said', [(16,'"sam"','kwam')],
     [('wrong-type',16,'double quotes'),('unknown-cast',16,'kwam')])
case('duplicate-field', 'a field written twice', [(22,'text: "Blame Sam.",','text: "Blame Sam.", text: "Again.",')], [('duplicate-field',22,'twice')])
case('number-too-large', 'an effect too large to store', [(23,'trust: -5','trust: 99999999999')], [('number-too-large',23,'too large')])
case('fraction-effect', 'an effect with a fraction', [(23,'trust: -5','trust: 2.5')], [('wrong-type',23,'whole number')])
case('bool-as-word', 'a yes/no field given a word', [(82,'rare_intended: true','rare_intended: yes')], [('wrong-type',82,'true false')])
case('text-for-list', 'a single text where a list belongs', [(7,'["L01", "L03", "L19"]','"L01"')], [('wrong-type',7,'list')])
case('number-for-effects', 'a number where an effects group belongs', [(23,'(trust: -5, strategic_impact: 3)','5')], [('wrong-type',23,'effects')])
case('beat-without-id', '`Beat` with nothing in brackets', [(27,'Beat("second")','Beat')], [('wrong-type',27,'one value')])
case('condition-arity', 'a meter condition missing its number', [(82,'MeterAtMost(trust, 0)','MeterAtMost(trust)')], [('wrong-type',82,'2 values')])
case('next-as-text', 'a destination written as a plain text', [(27,'Beat("second")','"second"')], [('wrong-type',27,'destination')])
case('top-field-typo', 'a misspelled top-level field', [(5,'title','titel')], [('unknown-field',5,'titel title')])
case('unknown-field-no-suggestion', 'a field no ending has', [(79,'text: "Sam grows."','text: "Sam grows.", colour: "green"')], [('unknown-field',79,'colour fields')])
case('two-field-typos', 'two misspelled fields in different beats', [(18,'discuss','discus'),(58,'feedback','feedbak')],
     [('unknown-field',18,'discus'),('unknown-field',58,'feedbak')])
case('wrong-variant-next', 'a misspelled destination kind', [(27,'Beat(','Baet(')], [('unknown-variant',27,'Baet Beat')])
case('unknown-locked', 'an unknown locked style', [(69,'Show(','Shown(')], [('unknown-variant',69,'Shown Show')])
case('beat-id-number', "a number for a choice's next", [(27,'Beat("second")','Beat(5)')], [('wrong-type',27,'double quotes')])
# syntax
case('missing-comma-field', 'a missing `,` between two fields', [(5,'"A Small Test",','"A Small Test"')], [('missing-comma',6,'`,` line')])
case('missing-comma-choice', 'a missing `,` between two choices', [(28,'),',')')], [('missing-comma',29,'`,` line')])
case('missing-comma-inline', 'a missing `,` inside one line', [(23,'trust: -5,','trust: -5')], [('missing-comma',23,'`,`')])
case('semicolon', 'a `;` for a `,`', [(24,'"L01",','"L01";')], [('syntax',24,'`;` `,`')])
case('equals', 'an `=` for a `:`', [(24,'lesson:','lesson =')], [('syntax',24,'`=` `:`')])
case('two-commas', 'two commas in a row', [(24,'"L01",','"L01",,')], [('syntax',24,'two `,`')])
case('unclosed-text', "a text missing its closing quote", [(31,'"Own it.",','"Own it.,')], [("unclosed-text",31,"closing")])
case('unclosed-text-no-comma', "a text missing its quote and the comma", [(31,'"Own it.",','"Own it.')], [('unclosed-text',31,'closing')])
case('unclosed-text-before-bracket', "a text missing its quote before `),`", [(81,'"You do it all."),','"You do it all.),')], [('unclosed-text',81,'closing')])
case('single-quotes', 'a text in single quotes', [(22,'"Blame Sam."',"'Blame Sam.'")], [('wrong-quotes',22,'straight double quotes')])
case('curly-quotes', 'a text in curly quotes from a word processor', [(31,'"Own it."','“Own it.”')], [('wrong-quotes',31,'straight double quotes')])
case('curly-single-quotes', 'a text in curly single quotes', [(42,'"A week later."','‘A week later.’')], [('wrong-quotes',42,'straight double quotes')])
case('extra-paren-in-choice', 'a `)` too many closes a choice early', [(27,'Beat("second"),','Beat("second")),')], [('extra-bracket',27,'closes choice early opened at')])
case('extra-paren-at-end', 'a `)` too many at the end of the file', [(84,')','))')], [('extra-bracket',84,'closes nothing')])
case('missing-choice-close', 'a choice whose `),` is missing', [(28,None,'')], [('unclosed',20,'never closed end of line')])
case('missing-beat-close', "a beat whose `)` is missing", [(39,'),',',')], [('unclosed',14,'beat never closed')])
case('missing-list-close', 'a list of choices whose `]` is missing', [(38,None,'')], [('unclosed',19,'choices never closed')])
case('wrong-closing-bracket', 'a `)` where the list needs `]`', [(38,'],','),')], [('wrong-bracket',38,'`]` choices')])
case('missing-scenario-close', 'the last `)` of the file is missing', [(84,None,'')], [('unclosed',2,'scenario never closed')])
case('unclosed-effects', 'an inline group missing its `)`', [(23,'strategic_impact: 3),','strategic_impact: 3,')], [('unclosed',23,'`effects` never closed')])
case('unclosed-beat-call', '`Beat(` missing its `)`', [(27,'Beat("second"),','Beat("second",')], [('unclosed',27,'`Beat(` never closed')])
case('unclosed-comment', 'a `/*` comment never closed', [(47,'text:','/* text:')], [('syntax',47,'comment never closed')])
case('trailing-text', 'text after the end of the scenario', [(84,')',')\nmore notes here')], [('trailing-text',85,'after the end')])
case('stray-character', 'a stray character after a value', [(23,'strategic_impact: 3)','strategic_impact: 3 %)')], [('syntax',23,'unexpected `%`')])
case('missing-value', 'a field with no value', [(24,'"L01"','')], [('syntax',24,'expected a value lesson')])
case('bad-escape', 'a backslash that is not an escape', [(22,'"Blame Sam."','"Blame \\q Sam."')], [('syntax',22,'escape')])
case('top-name-typo', 'a misspelled `Scenario(`', [(2,'Scenario(','Scenaro(')], [('syntax',2,'Scenario')])
case('format-as-text', 'the format version in quotes', [(3,'format: 1','format: "1"')], [('format-version',3,'remove the quotes')])
case('brace-group', "JSON braces for a group of fields", [(23,'(trust: -5, strategic_impact: 3)','{trust: -5, strategic_impact: 3}')], [('syntax',23,'`{` `(`')])
# several kinds at once
case('syntax-structure-reference', 'a missing comma, a misspelled field and a dangling next in one run',
     [(5,'"A Small Test",','"A Small Test"'),(25,'feedback','feedbak'),(27,'"second"','"secnd"')],
     [('missing-comma',6,'`,`'),('unknown-field',25,'feedbak'),('dangling-reference',27,'secnd')])
case('unclosed-text-and-dangling', 'an unclosed text and a dangling next later in the file',
     [(31,'"Own it.",','"Own it.,'),(51,'"weak"','"weka"')],
     [('unclosed-text',31,'closing'),('dangling-reference',51,'weka weak')])
case('missing-close-and-lesson', 'a missing `),` and an unknown lesson in the next beat',
     [(28,None,''),(49,'"L19"','"L91"')], [('unclosed',20,'never closed'),('unknown-lesson',49,'L91')])
case('extra-paren-and-cast', 'a `)` too many and an unknown speaker', [(27,'Beat("second"),','Beat("second")),'),(16,'"sam"','"sma"')],
     [('extra-bracket',27,'early'),('unknown-cast',16,'sma sam')])
case('three-syntax', 'a `;`, single quotes and a quoted number', [(24,'"L01",','"L01";'),(22,'"Blame Sam."',"'Blame Sam.'"),(32,'trust: 5','trust: "5"')],
     [('syntax',24,'`;`'),('wrong-quotes',22,'double quotes'),('wrong-type',32,'remove the quotes')])
case('duplicate-and-variant', 'a field written twice and an unknown verdict', [(22,'text: "Blame Sam.",','text: "Blame Sam.", text: "Again.",'),(81,'Weak','Waek')],
     [('duplicate-field',22,'twice'),('unknown-variant',81,'Waek Weak')])
case('two-missing-closes', 'two choices each missing `),`', [(28,None,''),(52,None,'')],
     [('unclosed',20,'never closed'),('unclosed',45,'never closed')])
case('two-unclosed-texts', 'two texts missing their closing quotes', [(22,'"Blame Sam.",','"Blame Sam.,'),(47,'"Do it yourself.",','"Do it yourself.,')],
     [('unclosed-text',22,'closing'),('unclosed-text',47,'closing')])
case('bom', 'a byte-order mark at the start (editors on Windows write one) is accepted', [], [], whole=lambda t: '\ufeff' + t)
case('json', 'a scenario written as JSON', [], [('not-ron',1,'JSON')],
     whole=lambda t: '{\n  "format": 1,\n  "id": "small",\n  "title": "A Small Test"\n}\n')
case('yaml', 'a scenario written as YAML', [], [('not-ron',1,'YAML')],
     whole=lambda t: 'format: 1\nid: small\ntitle: A Small Test\nbeats:\n  - id: first\n')
case('missing-field-and-typo', 'a misspelled required field is taken for the one meant: one error, not two',
     [(34,'feedback','feedbak')], [('unknown-field',34,'feedbak feedback')])

flat = lambda t: ' '.join(l.strip() for l in t.split('\n'))
case('one-line-missing-close', 'a file written on one line: a choice missing its `)`', [(28,None,'')], [('unclosed',1,'choice never closed')], whole=flat)
case('one-line-unclosed-text', 'a file written on one line: a text missing its closing quote', [(22,'"Blame Sam."','"Blame Sam.')], [('unclosed-text',1,'closing `, effects')], whole=flat)

def run(path):
    out = subprocess.run([LEAP,'check','--format','json',path],capture_output=True,text=True).stdout
    return [d for d in json.loads(out)['diagnostics'] if d['severity']=='error']

ok = True
for (name, desc, edits, errors, warnings, whole) in cases:
    lines = list(base)
    for (ln, old, new) in edits:
        i = ln - 2
        if old is None: lines[i] = new
        else:
            assert old in lines[i], (name, ln, old, lines[i]); lines[i] = lines[i].replace(old, new, 1)
    body = '\n'.join(lines)
    n = len(errors) if errors else 1
    header_lines = 1 + n
    shift = header_lines - 1   # small.ron line L is body line L-1, fixture line L-1+header
    if whole:
        body = whole(body) if name != 'bom' else body
    tmp = f'/tmp/broken-fixture-{name}.ron'
    pre = '// Fixture: ' + desc + '\n' + ''.join('// expect: placeholder\n' for _ in range(n))
    text = pre + body
    if name == 'bom': text = '\ufeff' + text
    if whole and name != 'bom': text = pre + whole(body)
    open(tmp,'w').write(text)
    found = run(tmp)
    exp_lines = []
    problems = []
    if len(found) != len(errors):
        problems.append(f'count {len(found)} != {len(errors)}')
    used = set()
    for (code, ln, words) in errors:
        want_line = (ln + shift) if not (whole and name!='bom') else ln + header_lines - 1 + 0
        if whole and name != 'bom': want_line = header_lines + ln
        match = [i for i,d in enumerate(found) if d['code']==code and i not in used]
        if not match:
            problems.append(f'no {code}'); exp_lines.append(f'// expect: error {code} ?:? {words}'); continue
        i = min(match, key=lambda i: abs(found[i]['line']-want_line)); used.add(i); d = found[i]
        if d['line'] != want_line: problems.append(f'{code} at line {d["line"]}, meant {want_line}')
        text_all = (d['message'] + ' ' + (d.get('help') or '')).lower()
        for w in words.split():
            if w.lower() not in text_all: problems.append(f'{code}: "{w}" not in "{text_all}"')
        exp_lines.append(f'// expect: error {code} {d["line"]}:{d["column"]} {words}')
    if not errors: exp_lines = ['// expect: no errors']
    final = ('\ufeff' if name=='bom' else '') + '// Fixture: ' + desc + '\n' + '\n'.join(exp_lines) + '\n' + (whole(body) if whole and name!='bom' else body)
    if not problems:
        open(f'{ROOT}/tests/fixtures/broken/{name}.ron','w').write(final)
    status = 'OK ' if not problems else 'BAD'
    if problems: ok = False
    print(status, name, '|', '; '.join(problems), '|', ' / '.join(f"{d['code']}@{d['line']}:{d['column']} {d['message'][:70]}" for d in found) if problems else '')
print(len(cases), 'cases')
sys.exit(0 if ok else 1)
