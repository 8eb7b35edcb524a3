use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Disk {
    path: String,
}

#[derive(ReadinessContract)]
#[contract(tag = "BACKEND")]
enum Storage {
    Local(Disk),
    #[contract(tag = "local")]
    Nfs(Disk),
}

fn main() {}
