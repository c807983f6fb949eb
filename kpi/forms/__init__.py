"""Django forms that parse what people type into pages, one module per page."""
