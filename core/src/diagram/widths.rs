//! Text widths: what the layout needs to know of the font. The playground measures its own font
//! in the browser; everything else (the CLI, native tests, the exported SVG) uses [`Builtin`], a
//! deterministic table of DejaVu Sans, the font the standalone SVG asks for first.

/// The diagram's font size, in pixels (SVG user units).
pub const FONT_SIZE: f32 = 11.0;

/// The two weights the diagram writes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Font {
    Regular,
    Bold,
}

/// Text widths in pixels at [`FONT_SIZE`]. Any `Fn(&str, Font) -> f32` is one.
pub trait Measure {
    fn width(&self, text: &str, font: Font) -> f32;
}

impl<F: Fn(&str, Font) -> f32> Measure for F {
    fn width(&self, text: &str, font: Font) -> f32 {
        self(text, font)
    }
}

/// DejaVu Sans (Book and Bold), the advance of each character U+0020..U+00FF in 1/128 em,
/// rounded up; anything else counts one em (wider than most glyphs). Taken from the fonts'
/// `hmtx` tables. Kerning only narrows text, so a sum of advances is an upper bound.
#[derive(Debug, Clone, Copy, Default)]
pub struct Builtin;

/// Other fonts a viewer of the standalone SVG may substitute (Verdana's spaces are wider): the
/// table's widths are widened by this factor.
const SLACK: f32 = 1.04;

impl Measure for Builtin {
    fn width(&self, text: &str, font: Font) -> f32 {
        let table = match font {
            Font::Regular => &REGULAR,
            Font::Bold => &BOLD,
        };
        let units: u32 = text
            .chars()
            .map(|c| match (c as u32).checked_sub(32) {
                Some(i) if i < 224 => u32::from(table[i as usize]),
                _ => 128,
            })
            .sum();
        units as f32 * FONT_SIZE / 128.0 * SLACK
    }
}

const REGULAR: [u8; 224] = [
    41, 52, 59, 108, 82, 122, 100, 36, 50, 50, 64, 108, 41, 47, 41, 44, 82, 82, 82, 82, 82, 82, 82,
    82, 82, 82, 44, 44, 108, 108, 108, 68, 128, 88, 88, 90, 99, 81, 74, 100, 97, 38, 38, 84, 72,
    111, 96, 101, 78, 101, 89, 82, 79, 94, 88, 127, 88, 79, 88, 50, 44, 50, 108, 64, 64, 79, 82,
    71, 82, 79, 46, 82, 82, 36, 36, 75, 36, 125, 82, 79, 82, 82, 53, 67, 51, 82, 76, 105, 76, 76,
    68, 82, 44, 82, 108, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 41,
    52, 82, 82, 82, 82, 44, 64, 64, 128, 61, 79, 108, 47, 128, 64, 64, 108, 52, 52, 64, 82, 82, 41,
    64, 52, 61, 79, 125, 125, 125, 68, 88, 88, 88, 88, 88, 88, 125, 90, 81, 81, 81, 81, 38, 38, 38,
    38, 100, 96, 101, 101, 101, 101, 101, 108, 101, 94, 94, 94, 94, 79, 78, 81, 79, 79, 79, 79, 79,
    79, 126, 71, 79, 79, 79, 79, 36, 36, 36, 36, 79, 82, 79, 79, 79, 79, 79, 108, 79, 82, 82, 82,
    82, 76, 82, 76,
];
const BOLD: [u8; 224] = [
    45, 59, 67, 108, 90, 129, 112, 40, 59, 59, 67, 108, 49, 54, 49, 47, 90, 90, 90, 90, 90, 90, 90,
    90, 90, 90, 52, 52, 108, 108, 108, 75, 128, 100, 98, 94, 107, 88, 88, 106, 108, 48, 48, 100,
    82, 128, 108, 109, 94, 109, 99, 93, 88, 104, 100, 142, 99, 93, 93, 59, 47, 59, 108, 64, 64, 87,
    92, 76, 92, 87, 56, 92, 92, 44, 44, 86, 44, 134, 92, 88, 92, 92, 64, 77, 62, 92, 84, 119, 83,
    84, 75, 92, 47, 92, 108, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    45, 59, 90, 90, 82, 90, 47, 64, 64, 128, 73, 83, 108, 54, 128, 64, 64, 108, 57, 57, 64, 95, 82,
    49, 64, 57, 73, 83, 133, 133, 133, 75, 100, 100, 100, 100, 100, 100, 139, 94, 88, 88, 88, 88,
    48, 48, 48, 48, 108, 108, 109, 109, 109, 109, 109, 108, 109, 104, 104, 104, 104, 93, 95, 93,
    87, 87, 87, 87, 87, 87, 135, 76, 87, 87, 87, 87, 44, 44, 44, 44, 88, 92, 88, 88, 88, 88, 88,
    108, 88, 92, 92, 92, 92, 84, 92, 84,
];
