use health::ReadinessContract;

struct Db {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested)]
    db: Db,
}

fn main() {}
