# On-device learning: the ta_adapt program (firmware/app/ta_adapt_main.c) for models compiled with a
# frontend and --embedding auto (model.h: TA_MODEL_HAS_HEAD 1). Included by firmware/CMakeLists.txt after
# its targets; uses its variables (TA_FW, TA_MODEL_H, TA_BARE_METAL, TA_LINK_OPTIONS, ...).
#
# The head's sizes: TA_HEAD_MAX_CLASSES (factory + added classes, default 16) and the model's embedding
# length as TA_HEAD_MAX_DIM. Storage is a file (host: stdio, QEMU: semihosting) instead of RAM, so a
# learned head survives the program, and power cuts can be simulated (firmware/platform/ta_storage_file.h).
set(TA_HEAD_MAX_CLASSES 16 CACHE STRING "Most classes the on-device head holds (factory + added on the device)")
option(TA_HEAD_MOMENTUM "Keep a momentum buffer per head weight (doubles the head's RAM)" OFF)
# The emulated flash of the host and QEMU adapt builds: two 9 KB slots, room for 16 classes x 128 values.
set(TA_ADAPT_STORAGE_BYTES 18432 CACHE STRING "Emulated storage of ta_adapt (bytes, whole 1 KB sectors)")

set(_ta_adapt_ok OFF)
if(TA_MODEL_H MATCHES "TA_MODEL_HAS_HEAD[ \t]+1" AND TA_MODEL_H MATCHES "TA_MODEL_HAS_FRONTEND[ \t]+1")
    string(REGEX MATCH "TA_MODEL_HEAD_DIM[ \t]+([0-9]+)" _ta_dim_match "${TA_MODEL_H}")
    set(TA_HEAD_DIM ${CMAKE_MATCH_1})
    # The largest record (ta_head_record.h) must fit one of the two slots, else no ta_adapt (the other
    # programs of this model build as before).
    math(EXPR _ta_record "88 + 28 + ${TA_HEAD_MAX_CLASSES} * (24 + 4 * ${TA_HEAD_DIM})")
    math(EXPR _ta_slot "${TA_ADAPT_STORAGE_BYTES} / 2 / 1024 * 1024")
    if(_ta_record GREATER _ta_slot)
        message(STATUS "ta_adapt not built: a head of ${TA_HEAD_MAX_CLASSES} classes x ${TA_HEAD_DIM} values "
                       "(${_ta_record} B) does not fit a ${_ta_slot} B storage slot")
    else()
        set(_ta_adapt_ok ON)
    endif()
endif()

if(_ta_adapt_ok)
    if(TA_HEAD_MOMENTUM)
        set(_ta_momentum 1)
    else()
        set(_ta_momentum 0)
    endif()

    # -ffp-contract=off: no fused multiply-add, so the head computes exactly what its numpy mirror does.
    file(GLOB TA_ONDEVICE_SOURCES ${TA_FW}/ondevice/*.c)
    add_library(ta_ondevice STATIC ${TA_ONDEVICE_SOURCES})
    target_compile_options(ta_ondevice PUBLIC -ffp-contract=off)
    target_compile_definitions(ta_ondevice PUBLIC TA_HEAD_MAX_CLASSES=${TA_HEAD_MAX_CLASSES}u
                                                  TA_HEAD_MAX_DIM=${TA_HEAD_DIM}u TA_HEAD_MOMENTUM=${_ta_momentum}
                                                  TA_PLATFORM_STORAGE_BYTES=${TA_ADAPT_STORAGE_BYTES}u)
    target_include_directories(ta_ondevice PUBLIC ${TA_FW}/ondevice ${TA_FW}/runtime ${TA_FW}/platform)

    # The platform with file-backed storage in place of the RAM one.
    set(_ta_file_common ${TA_FW}/platform/ta_storage_file.c ${TA_FW}/platform/ta_result_format.c)
    if(TA_BARE_METAL)
        add_library(ta_platform_file STATIC ${_ta_file_common} ${TA_FW}/platform/qemu/ta_storage_file_qemu.c
                                            ${TA_FW}/platform/qemu/ta_platform_qemu.c
                                            ${TA_FW}/platform/qemu/ta_startup.c ${TA_FW}/platform/qemu/ta_semihost.c
                                            ${TA_FW}/platform/qemu/ta_syscalls.c)
        target_compile_definitions(ta_platform_file PRIVATE TA_QEMU_CPU_HZ=${TA_CPU_HZ}u)
        target_compile_definitions(ta_platform_file PUBLIC TA_PLATFORM_STORAGE_BYTES=${TA_ADAPT_STORAGE_BYTES}u)
        target_include_directories(ta_platform_file PUBLIC ${TA_FW}/platform ${TA_FW}/platform/qemu)
    else()
        add_library(ta_platform_file STATIC ${_ta_file_common} ${TA_FW}/platform/host/ta_storage_file_host.c
                                            ${TA_FW}/platform/host/ta_platform_host.c)
        target_include_directories(ta_platform_file PUBLIC ${TA_FW}/platform)
        target_compile_definitions(ta_platform_file PUBLIC TA_PLATFORM_STORAGE_BYTES=${TA_ADAPT_STORAGE_BYTES}u)
    endif()

    add_executable(ta_adapt ${TA_FW}/app/ta_app.c ${TA_FW}/app/ta_adapt_main.c)
    if(TA_BARE_METAL)
        target_link_libraries(ta_adapt PRIVATE -Wl,--whole-archive ta_platform_file -Wl,--no-whole-archive
                                               ta_ondevice ta_core m)
        target_link_options(ta_adapt PRIVATE -Wl,--defsym=TA_HEAP_SIZE=0)
        add_custom_command(TARGET ta_adapt POST_BUILD COMMAND ${CMAKE_SIZE} -A $<TARGET_FILE:ta_adapt>
                           COMMENT "sizes of ta_adapt")
    else()
        target_link_libraries(ta_adapt PRIVATE ta_platform_file ta_ondevice ta_core m)
    endif()
    target_link_options(ta_adapt PRIVATE ${TA_LINK_OPTIONS} -Wl,-Map=$<TARGET_FILE:ta_adapt>.map)
endif()
