use health::ReadinessContract;

fn same(v: &u16) -> u16 {
    *v
}

#[derive(ReadinessContract)]
struct Config {
    a: u16,
    #[contract(default = 1, default_from(same(a)))]
    b: u16,
}

fn main() {}
