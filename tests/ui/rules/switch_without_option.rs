use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Mail {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(default = false)]
    mail_enabled: bool,
    #[contract(nested, switch = mail_enabled)]
    mail: Mail,
}

fn main() {}
