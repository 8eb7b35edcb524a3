use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Mail {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    mail_mode: String,
    #[contract(nested, switch = mail_mode)]
    mail: Option<Mail>,
}

fn main() {}
