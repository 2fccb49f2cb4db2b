//! Where statements go, from the settings and the environment: each `LEAP_LRS_*`,
//! `LEAP_LEARNER_*` or `LEAP_XAPI_HOME` variable that is set wins over its setting (a
//! facilitator's machine set up once for everyone). And a check that an LRS answers, with
//! the credentials, before anything is sent to it.

use super::lrs::{LrsConfig, LrsError};
use super::xapi::{SITE, XAPI_VERSION, XapiOptions};
use crate::record::settings::{LrsField, LrsSettings, check_web_address};

/// The LRS to send to (None: not set, or its address is not a web address), who the
/// statements are about, and which settings the environment overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct LrsSetup {
    pub config: Option<LrsConfig>,
    pub options: XapiOptions,
    pub from_env: Vec<LrsField>,
}

/// Resolves `settings` with `env` (the process's environment: `|name| std::env::var(name).ok()`).
pub fn lrs_setup(settings: &LrsSettings, env: impl Fn(&str) -> Option<String>) -> LrsSetup {
    let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let overridden = |field: LrsField| field.env_vars().iter().any(|name| env(name).is_some());
    let from_env: Vec<LrsField> = LrsField::ALL.into_iter().filter(|f| overridden(*f)).collect();
    // A hand-written value that fails the screen's check is not used (it was reported at load).
    let setting = |field: LrsField| {
        let value = settings.get(field);
        Some(value.to_string()).filter(|v| !v.is_empty() && check_web_address(field, v).is_ok())
    };
    let url = env("LEAP_LRS_URL").map(|u| u.trim().to_string()).or_else(|| setting(LrsField::Url));
    let config = url.map(|url| {
        let mut config = LrsConfig::new(url);
        config.user = env("LEAP_LRS_USER").or_else(|| setting(LrsField::User));
        config.password = env("LEAP_LRS_PASSWORD").or_else(|| setting(LrsField::Password));
        config
    });
    let (learner_name, learner_email) = if overridden(LrsField::Learner) {
        (env("LEAP_LEARNER_NAME"), env("LEAP_LEARNER_EMAIL"))
    } else {
        (settings.learner_name().map(str::to_string), settings.learner_email().map(str::to_string))
    };
    let home = env("LEAP_XAPI_HOME").or_else(|| setting(LrsField::Home)).unwrap_or_else(|| SITE.to_string());
    LrsSetup {
        config,
        options: XapiOptions { home: home.trim().trim_end_matches('/').to_string(), learner_name, learner_email },
        from_env,
    }
}

/// Asks the LRS for one statement, with the credentials, and says what it answered:
/// "the LRS answered 200 OK: the address and the credentials work (xAPI 1.0.3)". Blocks
/// for at most the config's timeout; call it off the game's frame.
pub fn check_connection(config: &LrsConfig) -> Result<String, LrsError> {
    let url = format!("{}/statements", config.endpoint.trim_end_matches('/'));
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(LrsError::BadEndpoint(config.endpoint.clone()));
    }
    let agent: ureq::Agent =
        ureq::Agent::config_builder().timeout_global(Some(config.timeout)).http_status_as_error(false).build().into();
    let request = agent.get(&url).query("limit", "1").header("X-Experience-API-Version", XAPI_VERSION);
    let request = match super::lrs::basic_auth(config) {
        Some(value) => request.header("Authorization", value),
        None => request,
    };
    let response = request.call();
    let status = super::lrs::answer_status(config, &url, response)?;
    Ok(format!("the LRS answered {status}: the address and the credentials work"))
}

/// What a failed connection test says: the send's message without the queue (nothing was
/// being sent), and the credentials named as the settings screen names them.
pub fn check_failure(error: &LrsError) -> String {
    match error {
        LrsError::Unauthorised { url, status } => {
            format!("{url} refused the credentials ({status}): check the LRS user and password.")
        }
        other => {
            let said = other.to_string();
            let said = said.replace(" The statements stay queued", "").replace("; the statements stay queued", ".");
            if said.ends_with(['.', '?']) { said } else { said + "." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> LrsSettings {
        LrsSettings {
            url: "https://lrs.example.org/xapi".into(),
            user: "key".into(),
            password: "secret".into(),
            learner: "ana@example.org".into(),
            home: "https://lms.example.org/".into(),
        }
    }

    #[test]
    fn the_settings_are_used_when_the_environment_is_silent() {
        let setup = lrs_setup(&settings(), |_| None);
        let config = setup.config.unwrap();
        assert_eq!(config.endpoint, "https://lrs.example.org/xapi");
        assert_eq!((config.user.as_deref(), config.password.as_deref()), (Some("key"), Some("secret")));
        assert_eq!(setup.options.learner_email.as_deref(), Some("ana@example.org"));
        assert_eq!(setup.options.learner_name, None);
        assert_eq!(setup.options.home, "https://lms.example.org");
        assert!(setup.from_env.is_empty());
    }

    #[test]
    fn each_environment_variable_that_is_set_wins_over_its_setting() {
        let env = |name: &str| match name {
            "LEAP_LRS_URL" => Some("http://127.0.0.1:9/xapi".to_string()),
            "LEAP_LEARNER_NAME" => Some("Bo".to_string()),
            "LEAP_XAPI_HOME" => Some("   ".to_string()),
            _ => None,
        };
        let setup = lrs_setup(&settings(), env);
        let config = setup.config.unwrap();
        assert_eq!(config.endpoint, "http://127.0.0.1:9/xapi");
        assert_eq!(config.user.as_deref(), Some("key"), "the user still comes from the settings");
        assert_eq!((setup.options.learner_name.as_deref(), setup.options.learner_email.as_deref()), (Some("Bo"), None));
        assert_eq!(setup.options.home, "https://lms.example.org", "a blank variable is not set");
        assert_eq!(setup.from_env, vec![LrsField::Url, LrsField::Learner]);
    }

    #[test]
    fn no_address_or_a_bad_one_means_no_lrs() {
        assert_eq!(lrs_setup(&LrsSettings::default(), |_| None).config, None);
        assert_eq!(lrs_setup(&LrsSettings::default(), |_| None).options.home, SITE);
        let bad = LrsSettings { url: "lrs.example.org".into(), ..settings() };
        assert_eq!(lrs_setup(&bad, |_| None).config, None);
    }

    #[test]
    fn checking_a_closed_port_says_nothing_listens_and_a_bad_address_is_refused_before_sending() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let error = check_connection(&LrsConfig::new(format!("http://127.0.0.1:{port}/xapi"))).unwrap_err();
        assert!(matches!(error, LrsError::Refused { .. }), "{error:?}");
        let said = check_failure(&error);
        assert!(said.contains("connection refused") && !said.contains("queued"), "{said}");
        let denied = check_failure(&LrsError::Unauthorised { url: "http://x/xapi/statements".into(), status: 401 });
        assert!(denied.contains("check the LRS user and password"), "{denied}");
        let bad = check_connection(&LrsConfig::new("lrs.example.org")).unwrap_err();
        assert!(matches!(bad, LrsError::BadEndpoint(_)), "{bad:?}");
    }
}
