use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Disk {
    path: String,
}

#[derive(ReadinessContract)]
#[contract(tag = "BACKEND")]
enum Storage {
    #[contract(default)]
    Local(Disk),
    #[contract(default)]
    Memory,
}

fn main() {}
