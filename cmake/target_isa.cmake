# AX_TARGET_X86_64: whether the C compiler targets x86-64, asked of the compiler itself.
# CMAKE_SYSTEM_PROCESSOR describes the build host unless a toolchain file says otherwise,
# so a cross build (or CMAKE_SYSTEM_PROCESSOR set by hand) may contradict the compiler; the
# compiler wins, and the disagreement is shown.  A build for several macOS architectures at
# once would need a different answer per architecture: it is refused (build one wheel per
# architecture, as the cibuildwheel configuration does).
include(CheckCSourceCompiles)

list(LENGTH CMAKE_OSX_ARCHITECTURES ax_osx_arch_count)
if(ax_osx_arch_count GREATER 1)
  message(FATAL_ERROR "axisconv: CMAKE_OSX_ARCHITECTURES=${CMAKE_OSX_ARCHITECTURES}: the "
          "kernel sets differ per architecture; build one architecture at a time")
endif()

check_c_source_compiles([=[
#if !defined(__x86_64__)
#error "not x86-64"
#endif
int main(void) { return 0; }
]=] AX_TARGET_X86_64)

set(ax_processor_x86_64 0)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(ax_processor_x86_64 1)
endif()
set(ax_target_x86_64 0)
set(ax_target "not x86-64: baseline kernels only")
if(AX_TARGET_X86_64)
  set(ax_target_x86_64 1)
  set(ax_target "x86-64: baseline, AVX2 and AVX-512 kernels")
endif()
message(STATUS "axisconv: the C compiler targets ${ax_target}")
if(NOT ax_processor_x86_64 EQUAL ax_target_x86_64)
  message(WARNING "axisconv: CMAKE_SYSTEM_PROCESSOR is ${CMAKE_SYSTEM_PROCESSOR} but the C "
          "compiler (${CMAKE_C_COMPILER}) targets ${ax_target}; following the compiler")
endif()
