use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Db {
    url: Option<String>,
}

#[derive(ReadinessContract)]
#[contract(exactly_one_of(db, url))]
struct Config {
    #[contract(nested)]
    db: Db,
    url: Option<String>,
}

fn main() {}
