use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Disk {
    path: String,
}

#[derive(ReadinessContract)]
#[contract(tag = "BACKEND")]
enum Storage {
    Local(Disk, String),
    Memory,
}

fn main() {}
