use health::ReadinessContract;

fn cache_under(dir: &String, name: &String) -> String {
    format!("{dir}/{name}")
}

// One error, at the token that breaks the call: the rest of the parentheses adds none.
#[derive(ReadinessContract)]
struct Config {
    data_dir: String,
    name: String,
    #[contract(default_from(cache_under(data_dir name)))]
    cache_dir: String,
}

fn main() {}
