"""One module per resource group of the API (``analyses``); the clients expose them."""
