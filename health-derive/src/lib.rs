//! The `#[derive(ReadinessContract)]` macro. Use it through the `health` crate.
use proc_macro::TokenStream;

/// Derives `health::ReadinessContract`.
#[proc_macro_derive(ReadinessContract, attributes(contract))]
pub fn derive_readiness_contract(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}
