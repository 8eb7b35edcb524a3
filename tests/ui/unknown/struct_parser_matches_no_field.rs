use health::ReadinessContract;

fn yes_no(text: &str) -> Result<bool, String> {
    Ok(text == "yes")
}

#[derive(ReadinessContract)]
#[contract(parse_with(bol = yes_no))]
struct Config {
    cache: bool,
}

fn main() {}
