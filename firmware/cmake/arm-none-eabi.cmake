# Toolchain file for bare-metal Cortex-M with arm-none-eabi-gcc and newlib (Debian gcc-arm-none-eabi,
# libnewlib-arm-none-eabi). Pick the core with -DTA_CPU=cortex-m4 (default) or cortex-m55.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

find_program(TA_ARM_GCC arm-none-eabi-gcc)
if(NOT TA_ARM_GCC)
    message(FATAL_ERROR "arm-none-eabi-gcc not found: install the Debian package gcc-arm-none-eabi "
                        "(and libnewlib-arm-none-eabi)")
endif()
set(CMAKE_C_COMPILER ${TA_ARM_GCC})
set(CMAKE_ASM_COMPILER ${TA_ARM_GCC})
set(CMAKE_AR arm-none-eabi-ar CACHE FILEPATH "")
set(CMAKE_RANLIB arm-none-eabi-ranlib CACHE FILEPATH "")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "")

# Compiler checks would try to link a hosted program; a static library is enough.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(TA_CPU "cortex-m4" CACHE STRING "Cortex-M core: cortex-m4 (mps2-an386) or cortex-m55 (mps3-an547)")
if(TA_CPU STREQUAL "cortex-m4")
    set(TA_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
elseif(TA_CPU STREQUAL "cortex-m55")
    set(TA_CPU_FLAGS "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard")
else()
    message(FATAL_ERROR "TA_CPU must be cortex-m4 or cortex-m55, not '${TA_CPU}'")
endif()
set(CMAKE_C_FLAGS_INIT "${TA_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${TA_CPU_FLAGS} --specs=rdimon.specs -nostartfiles")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
