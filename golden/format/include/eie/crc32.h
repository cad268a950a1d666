// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF:
// the same value zlib's crc32() and Python's binascii.crc32() give), for the model file trailer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eie {

uint32_t crc32(const uint8_t* data, size_t size);

}  // namespace eie
