use health::ReadinessContract;

// Its derived `Debug` would print the password.
#[derive(Debug, ReadinessContract)]
struct Db {
    #[contract(secret)]
    password: String,
}

#[derive(ReadinessContract)]
#[contract(debug)]
struct Config {
    #[contract(nested)]
    db: Db,
}

fn main() {}
