/* axisconv's C API for a C extension module, without linking to axisconv:
 *
 *     #include "axisconv_capi.h"          (with -I axisconv.get_include())
 *     const ax_api *ax = axisconv_import();    once, with the GIL held; NULL: an exception
 *     ax->correlate1d(AX_FLOAT64, in, out, ...);   then anywhere, without the GIL
 *
 * The functions and their arguments are those of axisconv.h. */
#ifndef AXISCONV_CAPI_H
#define AXISCONV_CAPI_H

#include <Python.h>

#include "axisconv.h"

static inline const ax_api *axisconv_import(void)
{
    const ax_api *api = (const ax_api *)PyCapsule_Import(AX_API_CAPSULE, 0);
    if (api && (api->version < AX_API_VERSION || api->size < (int)sizeof(ax_api))) {
        PyErr_SetString(PyExc_ImportError, "axisconv is older than the C API this module "
                                           "was built for");
        return NULL;
    }
    return api;
}

#endif
