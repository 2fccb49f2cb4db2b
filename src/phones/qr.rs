//! The join address as a QR code: the module matrix (drawn as UI nodes by the game) and a
//! terminal rendering in half blocks (printed by the text mode).

use qrcode::{Color, EcLevel, QrCode};

/// The QR code's modules, row by row (true = dark), and its width; None if `text` is too long.
pub fn modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
    Some((code.width(), dark))
}

/// The code in Unicode half blocks, two rows of modules per line, dark on light, with the
/// four-module quiet zone scanners need.
pub fn terminal(text: &str) -> Option<String> {
    let (width, dark) = modules(text)?;
    const QUIET: usize = 4;
    let size = width + 2 * QUIET;
    let at = |x: usize, y: usize| {
        (QUIET..QUIET + width).contains(&x)
            && (QUIET..QUIET + width).contains(&y)
            && dark[(y - QUIET) * width + x - QUIET]
    };
    let mut out = String::new();
    for y in (0..size).step_by(2) {
        for x in 0..size {
            // Light modules are drawn, dark ones left as the (dark) terminal background.
            out.push(match (at(x, y), y + 1 < size && at(x, y + 1)) {
                (false, false) => '█',
                (false, true) => '▀',
                (true, false) => '▄',
                (true, true) => ' ',
            });
        }
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_url_makes_a_square_code() {
        let (width, dark) = modules("http://192.168.1.23:8080/?room=ABC234").unwrap();
        assert_eq!(dark.len(), width * width);
        assert!(width >= 21 && dark.iter().any(|d| *d) && dark.iter().any(|d| !*d));
        let text = terminal("http://192.168.1.23:8080/?room=ABC234").unwrap();
        assert_eq!(text.lines().count(), (width + 8).div_ceil(2));
    }
}
