use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Db {
    host: String,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested, alias = "DATABASE", range = 1..2, one_of = ["a"], len = 1..)]
    db: Db,
}

fn main() {}
