"""The HTTP API's routes, one APIRouter factory per resource."""
