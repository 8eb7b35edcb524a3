use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Mail {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested, switch = mail_enabled)]
    mail: Option<Mail>,
    #[contract(default = false)]
    mail_enabled: bool,
}

fn main() {}
