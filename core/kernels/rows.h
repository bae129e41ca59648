// Row i of a strided matrix: kernels take row strides in bytes, whatever the element.
//
//   const int16_t* xi = Row(x, x_stride, i);
#pragma once

#include <cstddef>

namespace edgefuse::core::kernels {

template <class T>
const T* Row(const T* base, size_t stride, size_t i) {
  return reinterpret_cast<const T*>(reinterpret_cast<const char*>(base) + i * stride);
}

template <class T>
T* Row(T* base, size_t stride, size_t i) {
  return reinterpret_cast<T*>(reinterpret_cast<char*>(base) + i * stride);
}

}  // namespace edgefuse::core::kernels
