use health::ReadinessContract;

// One error, at the token that breaks the list: the rest of the parentheses adds none.
#[derive(ReadinessContract)]
struct Config {
    #[contract(alias = "ENV", old_values("prod" "production"))]
    mode: String,
}

fn main() {}
