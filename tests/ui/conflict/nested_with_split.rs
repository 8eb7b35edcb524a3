use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Db {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested, split = ",")]
    db: Db,
}

fn main() {}
