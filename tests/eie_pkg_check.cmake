# The hardware interface has one source, rtl/eie_pkg.sv; the build generates its C++ view,
# eie/eie_pkg.h (cmake/eie_pkg.cmake). This test shows that the two cannot disagree:
#   1. the header the build compiled against is what the package gives now (not stale);
#   2. an edited copy of the package (a target renumbered, an enum member inserted) changes the
#      generated constants with it;
#   3. a package line the generator cannot carry over (an expression, a literal of the wrong
#      width) stops the generation, naming the line, instead of leaving a constant out.
# cmake -DSRC=<source dir> -DBUILT=<build>/generated/eie/eie_pkg.h -DTMP=<scratch dir> -P ...
include(${SRC}/cmake/eie_pkg.cmake)
file(REMOVE_RECURSE ${TMP})
file(MAKE_DIRECTORY ${TMP})
set(pkg ${SRC}/rtl/eie_pkg.sv)
file(READ ${pkg} original)

eie_pkg_header(${pkg} ${TMP}/now.h)
file(READ ${TMP}/now.h now)
file(READ ${BUILT} built)
if(NOT now STREQUAL built)
  message(FATAL_ERROR "${BUILT} differs from what ${pkg} gives now: re-run cmake")
endif()

function(expect_edit name from to want)
  string(FIND "${original}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${name}: '${from}' is not in ${pkg}; update this test")
  endif()
  string(REPLACE "${from}" "${to}" edited "${original}")
  file(WRITE ${TMP}/${name}.sv "${edited}")
  eie_pkg_header(${TMP}/${name}.sv ${TMP}/${name}.h)
  file(READ ${TMP}/${name}.h text)
  string(FIND "${text}" "${want}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "${name}: the header generated from the edited package lacks '${want}'")
  endif()
  message(STATUS "${name}: the edited package gives '${want}'")
endfunction()

expect_edit(target_renumbered "TgtPtr      = 4'd1;" "TgtPtr      = 4'd9;"
            "inline constexpr uint32_t kTgtPtr = 9;")
expect_edit(state_inserted "CcuIdle,     // I/O mode" "CcuIdle,\n    CcuReset,    // I/O mode"
            "inline constexpr uint32_t kCcuLoad = 2;")
expect_edit(hex_literal "CtrlFifoLimit = 24'd3;" "CtrlFifoLimit = 24'h1F;"
            "inline constexpr uint32_t kCtrlFifoLimit = 31;")

function(expect_refused name from to)
  string(REPLACE "${from}" "${to}" edited "${original}")
  file(WRITE ${TMP}/${name}.sv "${edited}")
  execute_process(COMMAND ${CMAKE_COMMAND} -DPKG=${TMP}/${name}.sv -DOUT=${TMP}/${name}.h
                          -P ${SRC}/cmake/eie_pkg.cmake
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "${name}: the generator accepted a package line it cannot carry over")
  endif()
  if(NOT err MATCHES "${name}\\.sv:[0-9]+:")
    message(FATAL_ERROR "${name}: the generator's error names no line: ${err}")
  endif()
  message(STATUS "${name}: refused, naming the line")
endfunction()

expect_refused(expression "FifoSkid = 1;" "FifoSkid = 2 - 1;")
expect_refused(wrong_width "TgtCtrl     = 4'd8;" "TgtCtrl     = 5'd8;")
expect_refused(localparam_added "package eie_pkg;" "package eie_pkg;\n  localparam int X = 1;")
