// The npm `radius` package (bench comparison only) ships no types; what the codec bench calls.
declare module 'radius' {
  interface DecodedPacket {
    code: string;
    identifier: number;
    authenticator: Buffer;
    attributes: Record<string, unknown>;
    raw_attributes: unknown[];
  }
  const radius: {
    add_dictionary(path: string): void;
    decode(args: { packet: Buffer; secret: string }): DecodedPacket;
    encode_response(args: {
      packet: DecodedPacket;
      code: string;
      secret: string;
      attributes: unknown[];
    }): Buffer;
  };
  export default radius;
}
