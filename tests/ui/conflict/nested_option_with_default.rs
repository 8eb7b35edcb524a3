use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Db {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested, default = 1)]
    db: Option<Db>,
}

fn main() {}
