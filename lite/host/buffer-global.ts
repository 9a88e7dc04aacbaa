// Node's global Buffer for the browser bundle (src/render/diagram.ts base64-encodes its SVG with it).
export { Buffer } from "buffer";
