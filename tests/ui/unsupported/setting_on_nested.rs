use health::{ReadinessContract, Setting};

#[derive(ReadinessContract)]
struct Db {
    url: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested)]
    db: Setting<Db>,
}

fn main() {}
