use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(tag = "BACKEND")]
enum Storage {
    S3 { bucket: String, region: String },
    Memory,
}

fn main() {}
