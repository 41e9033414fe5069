# Embeds a file in the program as a NUL-terminated C array:
#   cmake -DIN=file -DOUT=file.c -DSYM=name -P embed.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}"
  "/* Generated from ${IN} by cmake/embed.cmake. */\n"
  "const char ${SYM}[] = { ${bytes} 0 };\n")
