use health::ReadinessContract;

struct Plain {
    path: String,
}

#[derive(ReadinessContract)]
#[contract(tag = "BACKEND")]
enum Storage {
    Local(Plain),
    Memory,
}

fn main() {}
