use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Db {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested, default = "localhost")]
    db: Db,
}

fn main() {}
