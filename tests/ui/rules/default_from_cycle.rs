use health::ReadinessContract;

fn same(v: &u16) -> u16 {
    *v
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(default_from(same(b)))]
    a: u16,
    #[contract(default_from(same(a)))]
    b: u16,
}

fn main() {}
