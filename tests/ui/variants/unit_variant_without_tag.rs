use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Disk {
    path: String,
}

// Without a tag, a variant is chosen by its variables: `Memory` has none.
#[derive(ReadinessContract)]
enum Storage {
    Local(Disk),
    Memory,
}

fn main() {}
