"""The API's routes, one module per area; each module's `router` is included by `create_app`."""
