use health::ReadinessContract;

fn yes_no(text: &str) -> Result<bool, String> {
    Ok(text == "yes")
}

// One error, at the token that breaks the list: the rest of the parentheses adds none.
#[derive(ReadinessContract)]
#[contract(parse_with(bool yes_no))]
struct Config {
    cache: bool,
}

fn main() {}
