use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Db {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested, env = "DB")]
    db: Db,
}

fn main() {}
