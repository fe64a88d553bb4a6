import onnxProtoModule from 'onnx-proto';

/** The protobufjs static module of the official onnx.proto (onnx 1.10 schema, IR 8). */
export const onnx = (onnxProtoModule as unknown as { onnx: typeof import('onnx-proto').onnx }).onnx;
export type OnnxModel = import('onnx-proto').onnx.IModelProto;
export type OnnxNode = import('onnx-proto').onnx.INodeProto;
export type OnnxTensor = import('onnx-proto').onnx.ITensorProto;
export type OnnxAttribute = import('onnx-proto').onnx.IAttributeProto;
export type OnnxValueInfo = import('onnx-proto').onnx.IValueInfoProto;

/** IR version written: 8 is what onnx-proto's schema defines and what ONNX Runtime and onnx 1.12 read. */
export const IR_VERSION = 8;

/** A float32 initializer. */
export function floatTensor(name: string, dims: readonly number[], data: Float32Array): OnnxTensor {
  // raw little-endian bytes keep large weights compact and exact
  const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return { name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

/** A float32 1-D initializer from plain numbers. */
export function floatVector(name: string, values: readonly number[]): OnnxTensor {
  return floatTensor(name, [values.length], Float32Array.from(values));
}

/** Attribute builders. */
export const attr = {
  int: (name: string, i: number): OnnxAttribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): OnnxAttribute => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: [...ints] }),
  float: (name: string, f: number): OnnxAttribute => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f }),
  string: (name: string, s: string): OnnxAttribute => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) }),
};

/** A graph node. */
export function node(opType: string, inputs: readonly string[], outputs: readonly string[], name: string, attributes: OnnxAttribute[] = []): OnnxNode {
  return { opType, input: [...inputs], output: [...outputs], name, attribute: attributes };
}

/** A float32 graph input/output; string dims are symbolic (dynamic). */
export function floatValueInfo(name: string, dims: readonly (number | string)[]): OnnxValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Serialises a model to protobuf bytes. */
export function encodeModel(model: OnnxModel): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** Parses protobuf bytes into a model. */
export function decodeModel(bytes: Uint8Array): import('onnx-proto').onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
