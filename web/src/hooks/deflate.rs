//! DEFLATE for `#s=` share links (SPEC §5a), done by the browser: `CompressionStream` and
//! `DecompressionStream` in the `deflate-raw` format, rather than a DEFLATE compiled into the
//! wasm (35 KB, 15 KB after gzip: issue #6). The core's `link` module does everything else
//! (base64url, the size limit, UTF-8), so a link means the same here as in `impsim` and the npm
//! package.

use impersonation_core::link::{self, LinkData, LinkError};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ReadableStream, ReadableStreamDefaultReader, ReadableStreamReadResult,
    ReadableWritablePair, Response, WritableStream,
};

// web-sys has these behind `--cfg=web_sys_unstable_apis`, which would change every build's
// flags; the few members used are declared here instead.
#[wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> WritableStream;

    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

/// The format both streams use: raw DEFLATE (RFC 1951), no zlib or gzip wrapper.
const FORMAT: &str = "deflate-raw";

/// The bytes as a stream, piped through a (de)compressor's readable and writable sides.
fn piped(
    bytes: &[u8],
    readable: ReadableStream,
    writable: WritableStream,
) -> Result<ReadableStream, JsValue> {
    let parts = js_sys::Array::of1(&Uint8Array::from(bytes));
    let blob = Blob::new_with_u8_array_sequence(&parts)?;
    Ok(blob
        .stream()
        .pipe_through(&ReadableWritablePair::new(&readable, &writable)))
}

/// Raw DEFLATE (RFC 1951) of `bytes`.
pub async fn deflate_raw(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    let c = CompressionStream::new(FORMAT)?;
    let stream = piped(bytes, c.readable(), c.writable())?;
    let response = Response::new_with_opt_readable_stream(Some(&stream))?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Inflates a raw DEFLATE stream, reading it a chunk at a time and giving up as soon as the
/// output passes `limit` bytes: a small link that would inflate to gigabytes costs at most
/// `limit` bytes of memory.
pub async fn inflate_raw(bytes: &[u8], limit: usize) -> Result<Vec<u8>, LinkError> {
    // The browser says only that the stream is bad, not whether it was cut short.
    let damaged = |_| LinkError::BadDeflate("not a complete DEFLATE stream");
    let d = DecompressionStream::new(FORMAT).map_err(damaged)?;
    let stream = piped(bytes, d.readable(), d.writable()).map_err(damaged)?;
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk: ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(damaged)?
            .unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(out);
        }
        let chunk = Uint8Array::new(&chunk.get_value());
        let start = out.len();
        if start + chunk.length() as usize > limit {
            let _ = reader.cancel();
            return Err(LinkError::TooLarge);
        }
        out.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut out[start..]);
    }
}

/// The scenario text a fragment carries (`#s=` or `#json=`), as the core's
/// `link::decode_fragment` reads it, with the browser inflating.
pub async fn fragment_text(fragment: &str) -> Result<String, LinkError> {
    match link::fragment_data(fragment)? {
        LinkData::Json(text) => Ok(text),
        LinkData::Deflated(bytes) => {
            link::text_of(inflate_raw(&bytes, link::MAX_DECODED_BYTES).await?)
        }
    }
}

/// The `s=` data of a scenario's JSON text: raw DEFLATE, unpadded base64url.
pub async fn s_data(json: &str) -> Result<String, JsValue> {
    Ok(link::base64url_encode(&deflate_raw(json.as_bytes()).await?))
}
