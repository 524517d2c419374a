// CRC-64/Jones, the checksum that ends an RDB file and a DUMP payload.
//
// Parameters (the "Jones" variant Redis uses): polynomial 0xad93d23594c935a9, reflected input and
// output, initial value 0, no final xor. Check value: Crc64(0, "123456789") == 0xe9c6d914c4b8d9ca.
// The CRC is updated incrementally, so a writer can feed it every buffer it flushes.
#pragma once

#include <cstdint>
#include <string_view>

namespace persistence {

// Returns the CRC of (everything `crc` covered so far) followed by `data`. Start from 0.
// Thread-safe: the tables are built once, before first use, and only read afterwards.
uint64_t Crc64(uint64_t crc, std::string_view data);

}  // namespace persistence
