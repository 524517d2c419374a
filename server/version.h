// Version strings reported by --version, INFO and HELLO.
#pragma once

namespace server {

// The Redis behaviour Fickle follows; clients gate features on it (INFO redis_version).
inline constexpr char kRedisVersion[] = "7.0.15";
#ifdef FICKLE_VERSION
inline constexpr char kFickleVersion[] = FICKLE_VERSION;
#else
inline constexpr char kFickleVersion[] = "0.0.0";
#endif
#ifdef FICKLE_ALLOCATOR
inline constexpr char kAllocator[] = FICKLE_ALLOCATOR;
#else
inline constexpr char kAllocator[] = "libc";
#endif

}  // namespace server
