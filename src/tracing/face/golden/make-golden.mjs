// Golden vectors for the C++ face engine (src/tracing/face): runs @vladmandic/face-api 1.7.15's own JavaScript
// (its bundled tfjs, CPU backend, no tfjs-node) and writes golden.json next to this script.
//
//   node src/tracing/face/golden/make-golden.mjs [NAME=IMAGE.ppm ...]
//
// 1. Recognition on chips defined by formulas (identical input in both languages, no image decoder involved).
// 2. The full pipeline (tiny face detector 416 / score 0.5 → 68-point landmarks (full net, the default of
//    withFaceLandmarks()) → dlib alignment → recognition) on images given as binary PPM files holding the
//    pixels the C++ decoder produced (`doudi face decode IMAGE --out X.ppm`), so that both sides start from the
//    same pixels; the JSON records a checksum (FNV-1a 64 of the RGB bytes) that the C++ test checks first.
// Run after installing tracing-models (scripts/fetch-face-models); the package is a dependency there.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');
const pkg = path.join(root, 'tracing-models/node_modules/@vladmandic/face-api');

// The browser bundle carries tfjs with its CPU backend. Loaded under Node it would pick the Node platform, which
// needs tfjs-node's native helpers; hide Node while it loads and give tfjs a plain platform instead.
const versions = process.versions;
Object.defineProperty(process, 'versions', { value: { ...versions, node: undefined }, configurable: true });
const faceapi = await import(path.join(pkg, 'dist/face-api.esm.js'));
Object.defineProperty(process, 'versions', { value: versions, configurable: true });
const { tf } = faceapi;
tf.env().setPlatform('plain', {
  fetch: (u, o) => fetch(u, o),
  now: () => performance.now(),
  encode: (t) => new TextEncoder().encode(t),
  decode: (b, e) => new TextDecoder(e).decode(b),
  isTypedArray: (a) => util.types.isTypedArray(a) && !util.types.isBigInt64Array(a) && !util.types.isBigUint64Array(a),
});
faceapi.env.setEnv(faceapi.env.createNodejsEnv());
await tf.setBackend('cpu');
await tf.ready();

function weightMap(model) {
  const dir = path.join(pkg, 'model');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, `${model}-weights_manifest.json`)));
  const specs = [];
  const buffers = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
  }
  const b = Buffer.concat(buffers);
  return tf.io.decodeWeights(b.buffer.slice(b.byteOffset, b.byteOffset + b.length), specs);
}
await faceapi.nets.tinyFaceDetector.loadFromWeightMap(weightMap('tiny_face_detector_model'));
await faceapi.nets.faceLandmark68Net.loadFromWeightMap(weightMap('face_landmark_68_model'));
await faceapi.nets.faceRecognitionNet.loadFromWeightMap(weightMap('face_recognition_model'));

const round = (x) => Number(x.toPrecision(9));

// The chip formulas; face_test.cc defines the same ones.
const chips = [
  { name: 'modular', h: 150, w: 150, f: (y, x, c) => ((y * 150 + x) * 3 + c) * 37 % 251 },
  { name: 'quadratic', h: 150, w: 150, f: (y, x, c) => (x * x + 3 * y * y + 17 * c * x) % 256 },
  { name: 'oblong', h: 120, w: 97, f: (y, x, c) => (5 * x + 7 * y + 60 * c + ((x * y) % 13)) % 256 },
];
const recognition = [];
for (const chip of chips) {
  const data = new Float32Array(chip.h * chip.w * 3);
  for (let y = 0; y < chip.h; y++) for (let x = 0; x < chip.w; x++) for (let c = 0; c < 3; c++) data[(y * chip.w + x) * 3 + c] = chip.f(y, x, c);
  const t = tf.tensor3d(data, [chip.h, chip.w, 3]);
  const d = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(t);
  t.dispose();
  recognition.push({ name: chip.name, height: chip.h, width: chip.w, descriptor: Array.from(d, round) });
}

function readPpm(file) {
  const b = fs.readFileSync(file);
  const header = [];
  let i = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(b[i]))) i++;
    let s = '';
    while (!/\s/.test(String.fromCharCode(b[i]))) s += String.fromCharCode(b[i++]);
    header.push(s);
  }
  i++;
  if (header[0] !== 'P6' || header[3] !== '255') throw new Error(`${file}: not an 8-bit binary PPM`);
  const [w, h] = [Number(header[1]), Number(header[2])];
  return { w, h, rgb: b.subarray(i, i + w * h * 3) };
}

function fnv64(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const byte of bytes) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

const images = [];
for (const arg of process.argv.slice(2)) {
  const [name, file] = arg.split('=');
  const { w, h, rgb } = readPpm(file);
  const t = tf.tensor3d(Float32Array.from(rgb), [h, w, 3]);
  const results = await faceapi.detectAllFaces(t, new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 }))
    .withFaceLandmarks().withFaceDescriptors();
  t.dispose();
  const box = (b) => ({ x: round(b.x), y: round(b.y), width: round(b.width), height: round(b.height) });
  images.push({
    name, width: w, height: h, fnv64: fnv64(rgb),
    faces: results.map((r) => ({
      score: round(r.detection.score),
      box: box(r.detection.box),
      landmarks: r.landmarks.positions.map((p) => [round(p.x), round(p.y)]),
      aligned_box: box(r.landmarks.align(null, { useDlibAlignment: true })),
      descriptor: Array.from(r.descriptor, round),
    })),
  });
}

const out = { package: '@vladmandic/face-api@1.7.15', tfjs: tf.version_core, backend: tf.getBackend(), recognition, images };
fs.writeFileSync(path.join(here, 'golden.json'), `${JSON.stringify(out)}\n`);
console.log(`golden.json: ${recognition.length} chips, ${images.length} images, ${images.reduce((n, i) => n + i.faces.length, 0)} faces`);
