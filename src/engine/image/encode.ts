/**
 * Writing images: PNG, JPEG or WebP chosen by the output's extension, with Seam's provenance in
 * the file (XMP: the tool and the operations that ran; EXIF Software), written atomically, and
 * never over the file it was read from.
 */
import { resolve, extname } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { SeamError } from '../../shared/errors';
import { withTempFile } from '../fs/atomic-write';
import type { RasterImage } from './image';

export type OutputFormat = 'png' | 'jpeg' | 'webp';

export interface Provenance {
  /** "Seam 0.1.0" */
  software: string;
  /** What ran, in order, e.g. ["swap source=a.jpg face=0"]. */
  operations: string[];
}

export interface EncodeOptions {
  provenance: Provenance;
  /** JPEG/WebP quality 1–100 (default 92). */
  quality?: number;
  /** Paths that must never be overwritten (the inputs). */
  protect?: string[];
  /** Write one grey channel (masks, label ids); the image's channels must be equal. */
  grey?: boolean;
}

export function formatForPath(path: string): OutputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  if (ext === '.webp') return 'webp';
  throw new SeamError('BAD_INPUT', `Cannot write ${path}: use a .png, .jpg or .webp file name.`);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function provenanceXmp(provenance: Provenance): string {
  const items = provenance.operations.map((op) => `<rdf:li>${escapeXml(op)}</rdf:li>`).join('');
  return (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:seam="https://seam.app/ns/1.0/"' +
    ` xmp:CreatorTool="${escapeXml(provenance.software)}">` +
    `<seam:EditedWith>${escapeXml(provenance.software)}</seam:EditedWith>` +
    `<seam:Operations><rdf:Seq>${items}</rdf:Seq></seam:Operations>` +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  );
}

function encoder(image: RasterImage, format: OutputFormat, options: Omit<EncodeOptions, 'protect'>): Sharp {
  const quality = options.quality ?? 92;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new SeamError('BAD_INPUT', `Quality must be a whole number from 1 to 100, got ${quality}.`);
  }
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .withXmp(provenanceXmp(options.provenance))
    .withExif({ IFD0: { Software: options.provenance.software } });
  if (options.grey) pipeline = pipeline.toColourspace('b-w');
  if (format === 'png') return pipeline.png({ compressionLevel: 6 });
  if (format === 'jpeg') return pipeline.jpeg({ quality, mozjpeg: true });
  return pipeline.webp({ quality });
}

export async function encodeImageFile(path: string, image: RasterImage, options: EncodeOptions): Promise<void> {
  const target = resolve(path);
  if ((options.protect ?? []).some((p) => resolve(p) === target)) {
    throw new SeamError('BAD_INPUT', `Refusing to overwrite the input ${path}: choose another output file.`);
  }
  const pipeline = encoder(image, formatForPath(path), options);
  await withTempFile(target, async (temp) => {
    await pipeline.toFile(temp);
  });
}

/** The encoded file's bytes, for the editor's export (the page saves them where the user chooses). */
export async function encodeImageBytes(image: RasterImage, format: OutputFormat, options: Omit<EncodeOptions, 'protect'>): Promise<Uint8Array> {
  const buffer = await encoder(image, format, options).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
