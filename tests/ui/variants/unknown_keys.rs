use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Disk {
    path: String,
}

#[derive(ReadinessContract)]
#[contract(exactly_once)]
enum Storage {
    #[contract(prefx = "DISK_")]
    Local(Disk),
    #[contract(nested)]
    Nfs(Disk),
}

fn main() {}
