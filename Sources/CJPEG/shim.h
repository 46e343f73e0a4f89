// jpeglib.h needs <stdio.h> and <stddef.h> before it (it does not include them itself).
#include <stdio.h>
#include <stddef.h>
#include <jpeglib.h>
#include <jerror.h>
