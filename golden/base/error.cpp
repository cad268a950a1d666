// eie::Error is header-only; this unit keeps its vtable in one place.
#include "eie/error.h"
