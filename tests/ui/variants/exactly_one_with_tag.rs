use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Disk {
    path: String,
}

#[derive(ReadinessContract)]
#[contract(tag = "BACKEND", exactly_one)]
enum Storage {
    Local(Disk),
    Memory,
}

fn main() {}
