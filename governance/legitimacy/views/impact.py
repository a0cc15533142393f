def impact(request, slug):
    raise NotImplementedError
