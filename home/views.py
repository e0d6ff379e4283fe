def home_context(page, request):
    return {}
