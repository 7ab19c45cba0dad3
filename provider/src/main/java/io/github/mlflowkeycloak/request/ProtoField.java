package io.github.mlflowkeycloak.request;

import java.math.BigInteger;

/**
 * A field of a protobuf message, as ParseDict reads it from JSON.
 *
 * @param name     the proto name ({@code experiment_ids})
 * @param jsonName the JSON name ({@code experimentIds}); ParseDict accepts both
 * @param message  the message type of a message field (of a map: its entry, with {@code key} and {@code value})
 * @param enumType the enum type of an enum field
 * @param oneof    the oneof the field belongs to, or null
 */
record ProtoField(String name, String jsonName, Type type, boolean repeated, boolean map, ProtoMessage message,
        ProtoEnum enumType, String oneof) {

    enum Type {
        INT32(BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)),
        INT64(BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)),
        UINT32(BigInteger.ZERO, BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)),
        UINT64(BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)),
        FLOAT, DOUBLE, BOOL, STRING, BYTES, ENUM, MESSAGE;

        /** The range of an integer type; null for the others. */
        final BigInteger min;
        final BigInteger max;

        Type() {
            this(null, null);
        }

        Type(BigInteger min, BigInteger max) {
            this.min = min;
            this.max = max;
        }

        /** The descriptor's type name: the zigzag and fixed-width encodings have their plain type's range. */
        static Type of(String protoType) {
            return switch (protoType) {
                case "int32", "sint32", "sfixed32" -> INT32;
                case "int64", "sint64", "sfixed64" -> INT64;
                case "uint32", "fixed32" -> UINT32;
                case "uint64", "fixed64" -> UINT64;
                case "float" -> FLOAT;
                case "double" -> DOUBLE;
                case "bool" -> BOOL;
                case "string" -> STRING;
                case "bytes" -> BYTES;
                case "enum" -> ENUM;
                case "message" -> MESSAGE;
                default -> throw new IllegalArgumentException("unsupported field type " + protoType);
            };
        }
    }
}
