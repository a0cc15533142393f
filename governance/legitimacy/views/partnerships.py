def partnerships(request, slug):
    raise NotImplementedError
